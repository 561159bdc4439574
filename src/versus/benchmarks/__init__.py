"""Public benchmark results: their shape, matching leaderboard names to catalog models, and ties."""
