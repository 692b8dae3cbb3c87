"""Tests of the staff work items: holds, queues and the console's decisions, below the web layer."""
