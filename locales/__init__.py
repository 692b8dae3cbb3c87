"""The gettext catalogs, ru and en (`<lang>/LC_MESSAGES/messages.po`), package data; the build compiles them."""
