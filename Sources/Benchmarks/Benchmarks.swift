// Benchmarks module. Placeholder until its issue lands.
