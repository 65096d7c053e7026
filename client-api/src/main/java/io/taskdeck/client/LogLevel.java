package io.taskdeck.client;

/** Level of a {@link LogEntry}. Serialized as the constant name. */
public enum LogLevel { DEBUG, INFO, WARN, ERROR }
