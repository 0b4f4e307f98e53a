"""The reading mode for dyslexic and low-literacy readers: settings, syllables, and the pages'
reading tools (static/js/reading-*.js)."""
