"""Meetings as residents browse them: names read from file names, and each city's archive by date."""
