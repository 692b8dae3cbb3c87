"""The borrower's settings: language, reminders, daytime hours for pushes, time zone and the selected loan."""
