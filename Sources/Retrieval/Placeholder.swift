enum _PlaceholderRetrieval {}
