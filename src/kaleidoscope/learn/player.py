"""Play a scenario in the terminal with Rich."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kaleidoscope.guidance import load_registry
from kaleidoscope.learn.engine import Playthrough
from kaleidoscope.learn.model import Decision, Ending, Passage, Scenario

HELP = "Type a number to choose, b to go back to the last decision, r to restart, q to quit."


class Player:
    """Drive a playthrough from a source of answers (keyboard or a scripted list)."""

    def __init__(
        self, scenario: Scenario, console: Console, speakers: dict[str, str] | None = None
    ) -> None:
        self.play = Playthrough(scenario)
        self.console = console
        self.speakers = speakers or {}
        for member in scenario.cast:
            self.speakers.setdefault(member.id, member.name)

    def _who(self, speaker: str | None) -> str:
        return self.speakers.get(speaker, speaker) if speaker else ""

    def _show_node(self, node: Passage | Decision | Ending) -> None:
        if isinstance(node, Ending):
            return
        who = self._who(node.speaker)
        title = Text(who) if who else None  # names are data, never markup
        self.console.print(Panel(Markdown(node.text), title=title, title_align="left"))
        if isinstance(node, Decision):
            for number, choice in enumerate(node.choices, start=1):
                self.console.print(f"  [bold]{number}[/bold]. {escape(choice.text)}")

    def _show_consequence(self) -> None:
        choice = self.play.last_choice
        if choice is None:
            return
        self.console.print(Markdown(f"> {choice.consequence}"))
        registry = load_registry()
        cited = [registry[k].citation for k in choice.guidance if k in registry]
        if cited:
            self.console.print(f"[dim]Guidance: {escape('; '.join(cited))}[/dim]")

    def _advance(self) -> None:
        while isinstance(self.play.current, Passage):
            self._show_node(self.play.current)
            self.play.advance()
        self._show_node(self.play.current)

    def run(self, answers: Iterable[str]) -> bool:
        """Play until an ending (True) or the answers run out or say quit (False)."""
        title = escape(self.play.scenario.title)
        self.console.print(f"[bold]{title}[/bold]\n[dim]{HELP}[/dim]")
        self._advance()
        source: Iterator[str] = iter(answers)
        while not self.play.finished:
            answer = next(source, None)
            if answer is None or answer.strip().lower() in ("q", "quit"):
                return False
            answer = answer.strip().lower()
            if answer == "b":
                if self.play.back():
                    self.console.print("[italic]Back to the last decision.[/italic]")
                    self._show_node(self.play.current)
                else:
                    self.console.print("[yellow]There is no earlier decision.[/yellow]")
                continue
            if answer == "r":
                self.play.restart()
                self.console.print("[italic]Starting again.[/italic]")
                self._advance()
                continue
            node = self.play.current
            assert isinstance(node, Decision)
            if not answer.isdigit() or not 1 <= int(answer) <= len(node.choices):
                self.console.print(
                    f"[yellow]Please type 1 to {len(node.choices)}, b, r or q.[/yellow]"
                )
                continue
            self.play.choose_number(int(answer))
            self._show_consequence()
            self._advance()
        self.debrief()
        return True

    def debrief(self) -> None:
        ending = self.play.current
        assert isinstance(ending, Ending)
        body = "\n\n".join(t for t in (ending.text, ending.debrief) if t)
        self.console.print(
            Panel(
                Markdown(body),
                title=Text(f"{ending.title} ({ending.kind.value})"),
                title_align="left",
                border_style="green",
            )
        )
        table = Table(title="Your path across the ethical dimensions")
        table.add_column("Dimension")
        table.add_column("Score", justify="right")
        for dimension, score in self.play.profile().items():
            table.add_row(dimension.label, f"{score:+d}")
        self.console.print(table)
        registry = load_registry()
        for key in self.play.guidance_cited():
            entry = registry[key]
            self.console.print(f"- {entry.citation}: {entry.title}. {entry.summary}")


def prompt_answers(console: Console, ask: Callable[[str], str] | None = None) -> Iterator[str]:
    """Answers typed at the keyboard; stops at end of input."""
    reader = ask or (lambda prompt: console.input(prompt))
    while True:
        try:
            yield reader("> ")
        except (EOFError, KeyboardInterrupt):
            return
