package org.tasklane.protocol.api;

/** The JSON body of every 4xx/5xx answer of the client API: one line that says what is wrong. */
public record ApiError(String error) {}
