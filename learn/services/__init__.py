"""Business rules as plain functions taking a session and the acting user."""
