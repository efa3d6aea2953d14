"""LinkedIn exports built in code: CSV quirks (BOM, header case, quotes, encodings)."""

from __future__ import annotations

from pathlib import Path

import archive_factory as af

from kaleidoscope.check.archives import open_archive
from kaleidoscope.check.records import Audience, Platform, Post, PostKind

SHARES = (
    "\ufeffdate,ShareLink,SHARECOMMENTARY,SharedUrl,MediaUrl,Visibility\r\n"
    '2023-04-01 09:15:00,https://www.linkedin.com/feed/update/urn:li:share:1,'
    '"""Proud to present at the ""Kinship Care"" conference in Leeds""",,,MEMBER_NETWORK\r\n'
    "2023-04-02 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:2,"
    '"Line one\r\nline two, with a comma",,https://media.example/1.jpg,PUBLIC\r\n'
    "2023-04-03 11:00:00,https://www.linkedin.com/feed/update/urn:li:share:3,"
    ",https://news.example/article,,PUBLIC\r\n"
    "2023-04-04 11:00:00,only,three\r\n"
)
COMMENTS = (
    "Date,Link,Message\n"
    '2023-05-01 08:00:00,https://www.linkedin.com/feed/update/urn:li:activity:9,'
    '"I agree with \\"relationship-based\\" practice, totally"\n'
)


def read(path: Path) -> tuple[list[Post], dict[str, int]]:
    with open_archive(path) as archive:
        assert archive.platform is Platform.LINKEDIN
        return list(archive.posts()), {r.reason: r.count for r in archive.skips.reasons}


def test_shares_and_comments_with_their_quirks(tmp_path: Path) -> None:
    files = {"Shares.csv": SHARES.encode("utf-8"), "Comments.csv": COMMENTS.encode("utf-8"),
             "Profile.csv": b"First Name,Last Name\nA,P\n"}
    posts, skipped = read(af.write_zip(tmp_path / "li.zip", files))
    first, second, reshare, comment = posts
    assert first.text == 'Proud to present at the "Kinship Care" conference in Leeds'
    assert first.audience is Audience.FRIENDS
    assert first.url == "https://www.linkedin.com/feed/update/urn:li:share:1"
    assert first.created_at is not None and first.created_at.hour == 9
    assert second.text == "Line one\r\nline two, with a comma"
    assert second.audience is Audience.PUBLIC and second.media_count == 1
    assert reshare.kind is PostKind.REPOST
    assert comment.kind is PostKind.COMMENT
    assert comment.text == 'I agree with "relationship-based" practice, totally'
    assert skipped == {"malformed CSV row: 3 fields where the header has 6": 1}


def test_windows_1252_file_is_read(tmp_path: Path) -> None:
    text = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n" + (
        "2023-04-01 09:15:00,https://l/1,Caf\u00e9 meeting \u2013 great,,,PUBLIC\n")
    files = {"Shares.csv": text.encode("cp1252")}
    posts, skipped = read(af.write_folder(tmp_path / "li", files))
    assert posts[0].text == "Café meeting – great"
    assert "file is not UTF-8: read as Windows-1252" in skipped


def test_bad_bytes_late_in_the_file_switch_encoding_without_repeating_rows(
    tmp_path: Path,
) -> None:
    rows = "".join(f"2023-04-01 09:00:00,https://l/{d},Post {d},,,PUBLIC\n"
                   for d in range(1, 401))  # well past the first decoded chunk
    text = ("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n" + rows
            + "2023-05-01 09:00:00,https://l/x,bad,row\n"
            + "2023-05-02 09:00:00,https://l/y,Caf\u00e9 late,,,PUBLIC\n")
    raw = text.encode("cp1252")  # only the last row has a non-ASCII byte
    posts, skipped = read(af.write_zip(tmp_path / "li.zip", {"Shares.csv": raw}))
    assert [p.text for p in posts] == [f"Post {d}" for d in range(1, 401)] + ["Café late"]
    assert skipped["malformed CSV row: 4 fields where the header has 6"] == 1
