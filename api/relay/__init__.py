"""The relay between a borrower's chat and the staff group's topic: cases, topics, the summary card, the transcript."""
