// Simulator module. Placeholder until its issue lands.
