// Schemas module. Placeholder until its issue lands.
