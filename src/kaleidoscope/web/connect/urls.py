"""URLs of Connect (mounted at /connect/)."""

from django.urls import path

from . import ask, chats, checkins, circles, views

app_name = "connect"

urlpatterns = [
    path("", views.index, name="index"),
    path("practitioner/", views.practitioner, name="practitioner"),
    # mood check-ins
    path("check-ins/", checkins.index, name="checkins"),
    path("check-ins/share/", checkins.share, name="share"),
    path("check-ins/shares/<int:share_id>/withdraw/", checkins.withdraw, name="withdraw"),
    path("check-ins/log/", checkins.log, name="checkins_log"),
    path("check-ins/export.csv", checkins.export_csv, name="export_csv"),
    path("check-ins/export.pdf", checkins.export_pdf, name="export_pdf"),
    path("check-ins/delete/", checkins.delete, name="delete"),
    path("check-ins/shared/", checkins.shared_list, name="shared_list"),
    path("check-ins/shared/<int:share_id>/", checkins.shared, name="shared"),
    # the team around a person
    path("circles/", circles.index, name="circles"),
    path("circles/new/", circles.new, name="circle_new"),
    path("circles/join/<str:token>/", circles.join, name="circle_join"),
    path("circles/<uuid:circle_id>/", circles.detail, name="circle"),
    path("circles/<uuid:circle_id>/invite/", circles.invite, name="circle_invite"),
    path("circles/<uuid:circle_id>/consent/", circles.consent, name="circle_consent"),
    path("circles/<uuid:circle_id>/leave/", circles.leave, name="circle_leave"),
    path("circles/<uuid:circle_id>/log/", circles.log, name="circle_log"),
    path("circles/<uuid:circle_id>/delete/", circles.delete, name="circle_delete"),
    path("circles/<uuid:circle_id>/circle.pdf", circles.circle_pdf, name="circle_pdf"),
    # topic chats
    path("chats/", chats.index, name="chats"),
    path("chats/new/", chats.new, name="chat_new"),
    path("chats/<uuid:chat_id>/", chats.detail, name="chat"),
    path("chats/<uuid:chat_id>/post/", chats.post, name="chat_post"),
    path("chats/<uuid:chat_id>/next/", chats.next_question, name="chat_next"),
    path("chats/<uuid:chat_id>/end/", chats.end, name="chat_end"),
    path("chats/<uuid:chat_id>/moderate/", chats.moderate, name="chat_moderate"),
    path("chats/<uuid:chat_id>/report/<int:post_id>/", chats.report, name="chat_report"),
    # long-lived: an async view (server-sent events), on the event loop
    path("chats/<uuid:chat_id>/stream/", chats.stream, name="chat_stream"),
    # Ask a social worker
    path("ask/", ask.index, name="ask"),
    path("ask/<int:question_id>/", ask.question, name="ask_question"),
    path("ask/report/<str:kind>/<int:target>/", ask.report, name="ask_report"),
    path("ask/moderate/", ask.moderate, name="ask_moderate"),
    path("ask/verify/", ask.verify, name="verify"),
]
