package org.tasklane.scheduler.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.tasklane.protocol.GraphValidator;
import org.tasklane.protocol.api.ApiError;
import org.tasklane.scheduler.code.CodeServer;
import org.tasklane.scheduler.code.CodeSettings;
import org.tasklane.scheduler.code.CodeStore;

/**
 * Jars for {@code java:} functions, on the client API:
 *
 * <pre>
 * HEAD /api/v1/code/{sha256}   200 if the scheduler holds that jar, 404 if not (GET: the same, with {"sha256", "bytes"})
 * PUT  /api/v1/code/{sha256}   the jar's bytes: 201 {"sha256", "bytes"} (200 if it was there already);
 *                              400 if its SHA-256 is another or it is not a zip; 413 over max-jar-bytes;
 *                              507 if the store is full of jars that graphs hold;
 *                              403 unless the API has an auth file or --allow-code-upload is on
 * </pre>
 *
 * The body is streamed to a temporary file in the store (never held in memory), then checked and
 * moved into place on a blocking dispatcher.
 */
public final class CodeRoutes {
  /** The answer to a successful HEAD, GET or PUT. */
  public record Uploaded(String sha256, long bytes) {}

  /** How long an upload may take (Pekko HTTP's default request timeout, 20 s, is too short for 256 MiB). */
  static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);
  /**
   * A body that says it is too large is still read (and thrown away) up to this size before the
   * 413 goes out: a server that answers and closes with a body unread resets the connection, and
   * the client then sees "connection reset" instead of the one line saying what is wrong.
   */
  static final long DRAIN_TOO_LARGE_UP_TO = 16L * 1024 * 1024;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CodeRoutes.class);

  private final CodeStore store;
  private final boolean uploadAllowed;
  private final ObjectMapper mapper;
  private final Executor blocking;
  private final Materializer materializer;

  /**
   * @param uploadAllowed true if the API asks for a token (an auth file) or code upload is allowed
   *     explicitly ({@link CodeSettings#allowUpload}); else every PUT is refused with 403
   */
  public CodeRoutes(ActorSystem<?> system, CodeStore store, boolean uploadAllowed, ObjectMapper mapper) {
    this.store = store;
    this.uploadAllowed = uploadAllowed;
    this.mapper = mapper;
    this.blocking = system.dispatchers().lookup(CodeServer.DISPATCHER);
    this.materializer = Materializer.matFromSystem(system);
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("code", () -> path(PathMatchers.segment(),
        sha -> concat(
            head(() -> held(sha)),
            get(() -> held(sha)),
            put(() -> upload(sha)),
            error(StatusCodes.METHOD_NOT_ALLOWED, "use HEAD (is it there?) or PUT (upload it) on /api/v1/code/SHA256"))))));
  }

  private Route held(String sha) {
    if (!GraphValidator.isSha256(sha)) {
      return error(StatusCodes.BAD_REQUEST, CodeStore.NOT_A_DIGEST);
    }
    if (!store.has(sha)) {
      return error(StatusCodes.NOT_FOUND, "this scheduler does not hold jar " + sha);
    }
    return complete(StatusCodes.OK, new Uploaded(sha, store.sizeOf(sha)), Jackson.marshaller(mapper));
  }

  private Route upload(String sha) {
    if (!uploadAllowed) {
      return error(StatusCodes.FORBIDDEN, CodeSettings.UPLOAD_OFF);
    }
    if (!GraphValidator.isSha256(sha)) {
      return error(StatusCodes.BAD_REQUEST, CodeStore.NOT_A_DIGEST);
    }
    long limit = store.maxJarBytes();
    return extractRequestEntity(declared -> {
      if (declared.getContentLengthOption().orElse(0L) <= limit) {
        return receive(sha, limit);
      }
      if (declared.getContentLengthOption().getAsLong() > DRAIN_TOO_LARGE_UP_TO) {
        return tooLarge(limit);
      }
      return onComplete(declared.discardBytes(materializer).completionStage(), drained -> tooLarge(limit));
    });
  }

  private Route tooLarge(long limit) {
    return error(StatusCodes.PAYLOAD_TOO_LARGE, "the jar is larger than the limit of " + limit
        + " bytes (tasklane.scheduler.code.max-jar-bytes)");
  }

  private Route receive(String sha, long limit) {
    return withSizeLimit(limit, () -> withRequestTimeout(UPLOAD_TIMEOUT, () -> extractRequestEntity(entity -> {
      AtomicReference<Path> file = new AtomicReference<>();
      CompletionStage<Route> result = CompletableFuture
          .supplyAsync(() -> {
            try {
              file.set(store.newIncoming());
              return file.get();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }, blocking)
          .thenCompose(tmp -> entity.getDataBytes().runWith(FileIO.toPath(tmp), materializer))
          .thenApplyAsync(written -> {
            try {
              return store.add(sha, file.get()); // takes the file over
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }, blocking)
          .thenApply(added -> {
            if (added instanceof CodeStore.Stored s) {
              LOG.info("Jar {} ({} bytes) {}", sha, s.bytes(), s.created() ? "uploaded" : "uploaded again");
              return complete(s.created() ? StatusCodes.CREATED : StatusCodes.OK, new Uploaded(sha, s.bytes()),
                  Jackson.marshaller(mapper));
            }
            CodeStore.Refused r = (CodeStore.Refused) added;
            return error(StatusCodes.get(r.status()), r.error());
          })
          .exceptionally(e -> {
            deleteQuietly(file.get());
            if (ClientApiRoutes.isTooLarge(e)) { // a chunked body without a length, past the limit
              return tooLarge(limit);
            }
            LOG.warn("Upload of jar {} failed: {}", sha, e.toString());
            return error(StatusCodes.INTERNAL_SERVER_ERROR, "the upload failed: " + rootMessage(e));
          });
      return AsyncRoute.of(result);
    })));
  }

  private void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.debug("Could not delete {}: {}", p, e.toString());
      }
    }, blocking);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return String.valueOf(c.getMessage()).replaceAll("\\s+", " ");
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new ApiError(message), Jackson.marshaller(mapper));
  }
}
