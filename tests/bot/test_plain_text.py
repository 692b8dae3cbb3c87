"""A message's text and caption lose their control characters before any handler; nothing else of it changes."""

from aiogram.types import Message

from bot.middlewares.plain_text import without_controls


def _message(**fields) -> Message:
    return Message.model_validate({"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, **fields})


def test_text_and_caption_are_cleaned_and_line_breaks_kept():
    cleaned = without_controls(_message(text="a\x00b\x1bc\x7f\n\td", caption="x\x08y"))

    assert cleaned.text == "abc\n\td"
    assert cleaned.caption == "xy"
    assert cleaned.chat.id == 5 and cleaned.message_id == 1


def test_a_clean_message_is_the_same_object():
    message = _message(text="Платёж прошёл 🎉 \u202e")
    assert without_controls(message) is message


def test_only_controls_leave_an_empty_text():
    assert without_controls(_message(text="\x00\x01")).text == ""
