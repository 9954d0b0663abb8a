package org.tasklane.dashboard.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * A run as one self-contained HTML file that opens from disk with no network and no server: the
 * page skeleton ({@code report/report.html}), the dashboard's stylesheet and task-stream code
 * inlined ({@code web/app.css}, {@code web/common.js}, {@code web/taskstream.js}) with the report's
 * own ({@code report/report.css}, {@code report/report.js}), and the run's data as JSON in a
 * {@code <script type="application/json">} element, escaped so that no user text can close it.
 *
 * <p>The page's Content-Security-Policy ({@link #CONTENT_SECURITY_POLICY}, in a meta element and,
 * when served, as a header) allows nothing remote: only these inline scripts and style, by hash,
 * and {@code data:} images.
 */
public final class RunReport {
  private static final String STYLE = resource("web/app.css") + "\n" + resource("report/report.css");
  private static final List<String> SCRIPTS =
      List.of(resource("web/common.js"), resource("web/taskstream.js"), resource("report/report.js"));
  private static final String[] TEMPLATE = split(resource("report/report.html"));

  /** The policy of every report: nothing but its own inline scripts and style. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src "
      + String.join(" ", SCRIPTS.stream().map(RunReport::hash).toList()) + "; style-src " + hash(STYLE)
      + "; img-src data:; base-uri 'none'; form-action 'none'";

  private static final JsonFactory FACTORY = new JsonFactory();

  private RunReport() {}

  /** Writes the report of {@code run} to {@code out} (not closed). */
  public static void write(RunIndex run, OutputStream out) throws IOException {
    ReportData data = new ReportData(run);
    out.write(TEMPLATE[0].getBytes(StandardCharsets.UTF_8));
    out.write(CONTENT_SECURITY_POLICY.getBytes(StandardCharsets.UTF_8));
    out.write(TEMPLATE[1].getBytes(StandardCharsets.UTF_8));
    out.write(STYLE.getBytes(StandardCharsets.UTF_8));
    out.write(TEMPLATE[2].getBytes(StandardCharsets.UTF_8));
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setCharacterEscapes(ScriptSafeEscapes.INSTANCE);
      data.write(g);
    }
    out.write(TEMPLATE[3].getBytes(StandardCharsets.UTF_8));
    StringBuilder scripts = new StringBuilder();
    for (String s : SCRIPTS) {
      scripts.append("<script>").append(s).append("</script>\n");
    }
    out.write(scripts.toString().getBytes(StandardCharsets.UTF_8));
    out.write(TEMPLATE[4].getBytes(StandardCharsets.UTF_8));
  }

  /** The template's text around its four markers, in order: CSP, STYLE, DATA, SCRIPTS. */
  private static String[] split(String template) {
    String[] markers = {"{{CSP}}", "{{STYLE}}", "{{DATA}}", "{{SCRIPTS}}"};
    String[] parts = new String[markers.length + 1];
    String rest = template;
    for (int i = 0; i < markers.length; i++) {
      int at = rest.indexOf(markers[i]);
      if (at < 0) {
        throw new IllegalStateException("report/report.html has no " + markers[i]);
      }
      parts[i] = rest.substring(0, at);
      rest = rest.substring(at + markers[i].length());
    }
    parts[markers.length] = rest;
    return parts;
  }

  /** A CSP source for an inline element's exact text. */
  static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A text resource of this jar; it must not be able to end its inline element early. */
  private static String resource(String name) {
    try (InputStream in = RunReport.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String lower = text.toLowerCase(java.util.Locale.ROOT);
      if (!name.endsWith(".html") && (lower.contains("</script") || lower.contains("</style") || lower.contains("<!--"))) {
        throw new IllegalStateException(name + " cannot be inlined: it contains </script, </style or <!--");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
