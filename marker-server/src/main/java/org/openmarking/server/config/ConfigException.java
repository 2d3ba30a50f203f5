package org.openmarking.server.config;

/** A configuration value the server cannot start with, naming the setting and the reason. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
