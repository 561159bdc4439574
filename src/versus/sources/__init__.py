"""One adapter per data source: a thin fetch or load, and a pure parse into source records."""
