"""The limits every dialog asks within, the same for every caller: the text and file sizes the backend keeps."""
