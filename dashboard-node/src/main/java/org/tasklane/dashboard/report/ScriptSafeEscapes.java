package org.tasklane.dashboard.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON string escapes that make the JSON safe inside an HTML {@code <script>} element: {@code <},
 * {@code >} and {@code &} become {@code \u003C}-style escapes (no user text can close the element or
 * open a comment), and U+2028/U+2029 become {@code \u2028}/{@code \u2029}.
 */
final class ScriptSafeEscapes extends CharacterEscapes {
  static final ScriptSafeEscapes INSTANCE = new ScriptSafeEscapes();

  private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
  private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

  private final int[] ascii;

  private ScriptSafeEscapes() {
    ascii = standardAsciiEscapesForJSON();
    ascii['<'] = ESCAPE_STANDARD;
    ascii['>'] = ESCAPE_STANDARD;
    ascii['&'] = ESCAPE_STANDARD;
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return ascii;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (ch == 0x2028) {
      return LINE_SEPARATOR;
    }
    if (ch == 0x2029) {
      return PARAGRAPH_SEPARATOR;
    }
    return null;
  }
}
