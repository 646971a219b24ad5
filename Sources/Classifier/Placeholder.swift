enum _PlaceholderClassifier {}
