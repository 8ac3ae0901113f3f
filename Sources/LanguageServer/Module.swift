// The LanguageServer module; see ARCHITECTURE.md.
