"""The workplace tutor's pages (views.py): linked learners and their assessment at work."""
