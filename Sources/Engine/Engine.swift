// Engine module. Placeholder until its issue lands.
