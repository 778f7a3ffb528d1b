"""Files in and out: findings documents, JSON Lines, Excel forms, folders, and the one safe writer."""
