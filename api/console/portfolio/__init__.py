"""The client portfolio for supervisors: satisfaction, reminders, reach, hardship, certificates, response times."""
