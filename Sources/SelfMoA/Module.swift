// The SelfMoA module; see ARCHITECTURE.md.
