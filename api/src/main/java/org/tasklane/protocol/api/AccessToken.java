package org.tasklane.protocol.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The secret that opens the client API and the dashboard when authentication is on: the first line
 * of an auth file (surrounding whitespace removed; the rest of the file is ignored). A request
 * carries it as {@code Authorization: Bearer TOKEN}, or as the password of HTTP Basic auth with any
 * user name (so a browser can log in through its own prompt).
 *
 * <p>The token is compared in constant time (the SHA-256 digests of both sides, through
 * {@link MessageDigest#isEqual}, so neither its content nor its length leaks through timing). It
 * never appears in a message or in {@link #toString()}: only the file's path does.
 */
public final class AccessToken {
  /** The realm of the {@code WWW-Authenticate} challenge. */
  public static final String REALM = "tasklane";
  /** The value of the {@code WWW-Authenticate} header of every 401 answer. */
  public static final String CHALLENGE = "Basic realm=\"" + REALM + "\"";
  /** The JSON body of a 401 answer to a request without credentials. */
  public static final String MISSING_JSON = "{\"error\":\"authentication required: send the token of the auth file as "
      + "'Authorization: Bearer TOKEN', or as the password of HTTP Basic auth (any user name)\"}";
  /** The JSON body of a 401 answer to a request whose credentials are not the token. */
  public static final String REJECTED_JSON = "{\"error\":\"the credentials were not accepted: send the token of the "
      + "auth file as 'Authorization: Bearer TOKEN', or as the password of HTTP Basic auth (any user name)\"}";

  /** An auth file larger than this is not a token file. */
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private final Path file;
  private final String secret;
  private final byte[] digest;

  private AccessToken(Path file, String secret) {
    this.file = file;
    this.secret = secret;
    this.digest = sha256(secret);
  }

  /**
   * Reads the token from the first line of {@code file}.
   *
   * @throws IllegalArgumentException with a one-line message (naming the file, never its content)
   *     if the file is missing, unreadable, empty, or its first line is not a token
   */
  public static AccessToken fromFile(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("the auth file " + file + " does not exist; create it with a token on its "
          + "first line (e.g. from 'openssl rand -hex 32') and 'chmod 600' it");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("the auth file " + file + " is a directory, not a file holding a token");
    }
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("the auth file " + file + " is larger than " + MAX_FILE_BYTES / 1024
            + " KiB; it should hold one token on its first line");
      }
      bytes = Files.readAllBytes(file);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("cannot read the auth file " + file + ": permission denied");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the auth file " + file + ": " + e.getMessage());
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int eol = text.indexOf('\n');
    String first = (eol < 0 ? text : text.substring(0, eol)).strip();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("the auth file " + file + " is empty (its first line is blank); "
          + "put a token on its first line");
    }
    String problem = problem(first);
    if (problem != null) {
      throw new IllegalArgumentException("the token on the first line of the auth file " + file + " " + problem);
    }
    return new AccessToken(file, first);
  }

  /** A token given directly (tests, and clients that hold it already); checked as a file's first line. */
  public static AccessToken of(String token) {
    String t = token == null ? "" : token.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("the token is empty");
    }
    String problem = problem(t);
    if (problem != null) {
      throw new IllegalArgumentException("the token " + problem);
    }
    return new AccessToken(null, t);
  }

  /** Why a token cannot travel in an HTTP header, or null. */
  private static String problem(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "must be printable ASCII without spaces (e.g. 'openssl rand -hex 32')";
      }
    }
    return null;
  }

  /** The file it was read from, or null if it was given directly. */
  public Path file() {
    return file;
  }

  /** The token itself, for a client to send. Never log it. */
  public String secret() {
    return secret;
  }

  /** {@code Bearer TOKEN}: the {@code Authorization} header a client sends. */
  public String bearerHeader() {
    return "Bearer " + secret;
  }

  /** Whether {@code candidate} is the token, in constant time. */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
  }

  /**
   * Whether an {@code Authorization} header value carries the token: {@code Bearer TOKEN}, or
   * {@code Basic base64(user:TOKEN)} with any user name (schemes are case-insensitive).
   */
  public boolean accepts(String authorization) {
    if (authorization == null) {
      return false;
    }
    String h = authorization.strip();
    int space = h.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = h.substring(0, space);
    String rest = h.substring(space + 1).strip();
    if (scheme.equalsIgnoreCase("Bearer")) {
      return matches(rest);
    }
    if (scheme.equalsIgnoreCase("Basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      int colon = decoded.indexOf(':');
      return colon >= 0 && matches(decoded.substring(colon + 1));
    }
    return false;
  }

  /**
   * A one-line warning if the file can be read by its group or by others (as ssh warns about a
   * private key), else empty; empty too where the file system has no POSIX permissions.
   */
  public Optional<String> permissionWarning() {
    if (file == null) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of("warning: the auth file " + file + " can be read by group or others; 'chmod 600 " + file
            + "' keeps the token to its owner");
      }
    } catch (UnsupportedOperationException | IOException e) {
      // no POSIX permissions here: nothing to say
    }
    return Optional.empty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Names the file, never the token. */
  @Override
  public String toString() {
    return "AccessToken[" + (file != null ? "from " + file : "given directly") + "]";
  }
}
