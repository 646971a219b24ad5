enum _PlaceholderGeneration {}
