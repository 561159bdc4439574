"""Fresh data: fetching each source's current payload, keeping good snapshots, and price history."""
