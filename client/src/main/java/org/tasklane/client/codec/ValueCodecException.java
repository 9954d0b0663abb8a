package org.tasklane.client.codec;

/** A value that could not be encoded to, or decoded from, the JSON values tasks pass: the message is one line naming the type. */
public final class ValueCodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ValueCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
