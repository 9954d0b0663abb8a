package org.tasklane.protocol.api;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth file's format, the two ways a request carries the token, and what is never said. */
class AccessTokenTest {
  static final String TOKEN = "s3cr3t-Token_0123456789abcdef";

  @TempDir Path dir;

  Path file(String content) throws Exception {
    Path f = dir.resolve("auth-" + System.nanoTime());
    Files.writeString(f, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theTokenIsTheFirstLineWithoutSurroundingWhitespace() throws Exception {
    AccessToken t = AccessToken.fromFile(file("  " + TOKEN + " \r\nsecond line is ignored\n"));
    assertEquals(TOKEN, t.secret());
    assertEquals("Bearer " + TOKEN, t.bearerHeader());
    assertEquals(TOKEN, AccessToken.fromFile(file(TOKEN)).secret(), "no newline at the end is fine");
  }

  @Test
  void bearerAndBasicWithAnyUserNameAreAccepted() throws Exception {
    AccessToken t = AccessToken.fromFile(file(TOKEN + "\n"));
    assertTrue(t.accepts("Bearer " + TOKEN));
    assertTrue(t.accepts("bearer " + TOKEN), "schemes are case-insensitive");
    assertTrue(t.accepts(basic("anyone", TOKEN)));
    assertTrue(t.accepts(basic("", TOKEN)));
    assertTrue(t.accepts("BASIC " + basic("x", TOKEN).substring(6)));
    assertTrue(t.matches(TOKEN));
  }

  @Test
  void anythingElseIsRefused() throws Exception {
    AccessToken t = AccessToken.fromFile(file(TOKEN + "\n"));
    assertFalse(t.accepts(null));
    assertFalse(t.accepts(""));
    assertFalse(t.accepts("Bearer"));
    assertFalse(t.accepts("Bearer "));
    assertFalse(t.accepts(TOKEN));
    assertFalse(t.accepts("Bearer " + TOKEN + "x"));
    assertFalse(t.accepts("Bearer " + TOKEN.substring(1)));
    assertFalse(t.accepts("Token " + TOKEN));
    assertFalse(t.accepts(basic(TOKEN, "wrong")), "the token as user name is not the password");
    assertFalse(t.accepts(basic("user", TOKEN + " ")));
    assertFalse(t.accepts("Basic " + Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8))),
        "no colon: no password");
    assertFalse(t.accepts("Basic not*base64!"));
    assertFalse(t.matches(null));
    assertFalse(t.matches(""));
  }

  @Test
  void aMissingEmptyOrUnfitFileIsAOneLineErrorNamingTheFileButNotItsContent() throws Exception {
    Path missing = dir.resolve("nope");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessToken.fromFile(missing));
    assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    assertOneLine(e.getMessage());

    for (String empty : new String[] {"", "\n", "   \nsecond\n"}) {
      Path f = file(empty);
      e = assertThrows(IllegalArgumentException.class, () -> AccessToken.fromFile(f));
      assertTrue(e.getMessage().contains(f + " is empty"), e.getMessage());
      assertOneLine(e.getMessage());
    }

    Path spaced = file("two words\n");
    e = assertThrows(IllegalArgumentException.class, () -> AccessToken.fromFile(spaced));
    assertTrue(e.getMessage().contains("printable ASCII"), e.getMessage());
    assertFalse(e.getMessage().contains("two words"), "never the content: " + e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> AccessToken.fromFile(dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());

    Path unreadable = file(TOKEN);
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    if (!Files.isReadable(unreadable)) { // root reads anything
      e = assertThrows(IllegalArgumentException.class, () -> AccessToken.fromFile(unreadable));
      assertTrue(e.getMessage().startsWith("cannot read the auth file " + unreadable), e.getMessage());
      assertFalse(e.getMessage().contains(TOKEN));
    }
  }

  @Test
  void fromConfigIsEmptyWithoutAFileAndReadsItOtherwise() throws Exception {
    assertTrue(AuthFileSetting.fromConfig(ConfigFactory.empty(), "a.auth-file").isEmpty());
    assertTrue(AuthFileSetting.fromConfig(ConfigFactory.parseMap(Map.of("a.auth-file", "")), "a.auth-file").isEmpty());
    Path f = file(TOKEN);
    assertEquals(TOKEN, AuthFileSetting.fromConfig(ConfigFactory.parseMap(Map.of("a.auth-file", f.toString())),
        "a.auth-file").orElseThrow().secret());
    assertThrows(IllegalArgumentException.class, () -> AuthFileSetting.fromConfig(
        ConfigFactory.parseMap(Map.of("a.auth-file", dir.resolve("nope").toString())), "a.auth-file"));
  }

  @Test
  void aFileOthersCanReadGetsAWarning() throws Exception {
    Path f = file(TOKEN);
    assertTrue(AccessToken.fromFile(f).permissionWarning().isEmpty());
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    String w = AccessToken.fromFile(f).permissionWarning().orElseThrow();
    assertTrue(w.contains(f.toString()) && w.contains("chmod 600"), w);
    assertOneLine(w);
    assertFalse(w.contains(TOKEN));
  }

  @Test
  void theTokenIsNeverInToStringAndTheAnswersAreOneLineOfJson() throws Exception {
    Path f = file(TOKEN);
    AccessToken t = AccessToken.fromFile(f);
    assertFalse(t.toString().contains(TOKEN), t.toString());
    assertTrue(t.toString().contains(f.toString()), t.toString());
    assertFalse(AccessToken.of(TOKEN).toString().contains(TOKEN));
    assertThrows(IllegalArgumentException.class, () -> AccessToken.of(" "));
    assertEquals("Basic realm=\"tasklane\"", AccessToken.CHALLENGE);
    for (String json : new String[] {AccessToken.MISSING_JSON, AccessToken.REJECTED_JSON}) {
      assertOneLine(json);
      assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("error").isTextual(), json);
    }
  }

  static void assertOneLine(String s) {
    assertFalse(s.contains("\n") || s.contains("\r"), s);
  }
}
