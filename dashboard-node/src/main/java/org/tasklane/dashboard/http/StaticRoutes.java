package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The pages and their assets, from {@code web/} in the jar:
 *
 * <pre>
 * (root)                       redirect to status, relative, so it stays under any prefix or proxy path
 * status, tasks, workers       web/status.html, web/tasks.html, web/workers.html
 * errors                       web/errors.html
 * graph                        web/graph.html
 * profile                      web/profile.html
 * assets/NAME                  web/NAME (plain names only: no "..", no encoded slashes or dots)
 * </pre>
 */
public final class StaticRoutes {
  /** What an asset path may be: plain names between slashes, none starting with a dot. */
  private static final Pattern SAFE_ASSET = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

  private final List<String> prefix;

  /** @param prefix the segments the routes lie under (to redirect the prefix without its trailing slash) */
  public StaticRoutes(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  public Route routes() {
    return concat(
        pathSingleSlash(() -> redirect(Uri.create("status"), StatusCodes.FOUND)),
        // "/a/b" (no trailing slash): "status" would resolve to "/a/status"
        pathEnd(() -> redirect(
            Uri.create(prefix.isEmpty() ? "/status" : prefix.get(prefix.size() - 1) + "/status"), StatusCodes.FOUND)),
        path("status", () -> page("status")),
        path("tasks", () -> page("tasks")),
        path("workers", () -> page("workers")),
        path("errors", () -> page("errors")),
        path("graph", () -> page("graph")),
        path("profile", () -> page("profile")),
        pathPrefix("assets", StaticRoutes::assets));
  }

  /** The files of {@code web/} in the jar, by plain name (what is left of the path after {@code assets}). */
  static Route assets() {
    return extractUnmatchedPath(rest -> SAFE_ASSET.matcher(rest).matches()
        ? getFromResourceDirectory("web")
        : complete(StatusCodes.NOT_FOUND, "not found"));
  }

  /** The page {@code web/NAME.html} from the jar. */
  static Route page(String name) {
    return getFromResource("web/" + name + ".html", ContentTypes.TEXT_HTML_UTF8);
  }
}
