// PlantStreamTesting module. Placeholder until its issue lands.
