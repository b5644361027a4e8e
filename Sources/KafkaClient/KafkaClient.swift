// KafkaClient module. Placeholder until its issue lands.
