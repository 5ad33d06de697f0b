"""The demo corpus: articles written for chronicle."""
