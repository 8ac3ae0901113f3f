// The Assistant module; see ARCHITECTURE.md.
