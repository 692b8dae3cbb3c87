"""The linked borrower's own profile as the bot needs it: language, time zone, reminder preferences."""
