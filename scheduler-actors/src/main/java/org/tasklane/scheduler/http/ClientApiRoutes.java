package org.tasklane.scheduler.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.util.ByteString;
import org.tasklane.protocol.GraphValidator;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.protocol.api.ApiError;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.SubmitResponse;
import org.tasklane.scheduler.SchedulerSettings;
import org.tasklane.scheduler.code.CodeSettings;

/**
 * The scheduler's client API, JSON over HTTP (port 8786 by default):
 *
 * <pre>
 * POST   /api/v1/graphs                 submit a graph; 201 {"id", "tasks"} or 4xx {"error"}
 * GET    /api/v1/graphs                 the graphs the scheduler knows
 * GET    /api/v1/graphs/{id}[?wait=S]   status per state and per group; with wait, answer when done or after S s
 * GET    /api/v1/graphs/{id}/results[?key=K...]  the wanted results, or these of them (409 while running,
 *                                       unless every key asked for is ready; 413 if they are too large for one
 *                                       answer: ask for fewer)
 * GET    /api/v1/graphs/{id}/finished?from=N[&wait=S]  wanted keys that finished, in order, from the N-th on
 * GET    /api/v1/graphs/{id}/tasks/{key}/explain  one task's state and why (read only); 404 if unknown
 * DELETE /api/v1/graphs/{id}            cancel it and drop its results
 * GET    /api/v1/workers                every worker's own account of what it runs and holds
 * GET    /health                        ok
 * </pre>
 */
public final class ClientApiRoutes {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** What a 429 asks the client to wait before submitting again. */
  private static final long RETRY_AFTER_SECONDS = 5;
  private static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final ActorSystem<?> system;
  /** The scheduler actor, asked for each request (see {@link SchedulerRef}). */
  private final java.util.function.Supplier<ActorRef<SchedulerProtocol.Command>> scheduler;
  private final SchedulerSettings settings;
  private final ObjectMapper mapper;
  private final GraphValidator validator;
  /** May graphs name uploaded jars ({@code code})? See {@link CodeRoutes}. */
  private final boolean codeAllowed;

  /** The API of a scheduler that takes no code: graphs that name jars are refused with 403. */
  public ClientApiRoutes(
      ActorSystem<?> system, ActorRef<SchedulerProtocol.Command> scheduler, SchedulerSettings settings,
      ObjectMapper mapper) {
    this(system, scheduler, settings, mapper, false);
  }

  /** @param codeAllowed true if code upload is on (an auth file, or --allow-code-upload) */
  public ClientApiRoutes(
      ActorSystem<?> system, ActorRef<SchedulerProtocol.Command> scheduler, SchedulerSettings settings,
      ObjectMapper mapper, boolean codeAllowed) {
    this(system, org.tasklane.scheduler.SchedulerRef.of(scheduler), settings, mapper, codeAllowed);
  }

  /** @param scheduler the scheduler actor as this node reaches it now */
  public ClientApiRoutes(
      ActorSystem<?> system, org.tasklane.scheduler.SchedulerRef scheduler, SchedulerSettings settings,
      ObjectMapper mapper, boolean codeAllowed) {
    this.codeAllowed = codeAllowed;
    this.system = system;
    this.scheduler = scheduler;
    this.settings = settings;
    this.mapper = mapper;
    this.validator = new GraphValidator(mapper, graphLimits(settings.maxTasks(), Runtime.getRuntime().maxMemory()));
  }

  /**
   * What one graph may have: at most what the scheduler may hold ({@code max-tasks}, from its heap
   * by default) and at most {@link GraphValidator.Limits#DEFAULTS}' million. Checked while the body
   * is parsed, so a graph too large for this heap is refused before its tasks fill it (the tasks
   * past the limit are only counted), with where the limit comes from and how to raise it.
   */
  static GraphValidator.Limits graphLimits(long maxTasks, long maxHeapBytes) {
    GraphValidator.Limits defaults = GraphValidator.Limits.DEFAULTS;
    if (maxTasks >= defaults.maxTasks()) {
      return defaults;
    }
    return defaults.withMaxTasks((int) maxTasks, "the scheduler holds at most " + maxTasks
        + " tasks (tasklane.scheduler.max-tasks; \"auto\", the default, allows one task per 2 KiB of its heap, "
        + (maxHeapBytes >> 20) + " MiB here): split the work into several graphs, or give the scheduler more heap "
        + "(TASKLANE_JAVA_OPTS=-Xmx2g holds 1,000,000 tasks)");
  }

  public Route routes() {
    return handleRejections(jsonRejections(), () -> concat(
        pathPrefix("api", () -> pathPrefix("v1", () -> concat(
            pathPrefix("graphs", () -> concat(
                pathEnd(() -> concat(post(() -> parameterOptional("wait", this::submit)), get(this::listGraphs))),
                pathPrefix(PathMatchers.segment(), id -> concat(
                    pathEnd(() -> concat(
                        get(() -> parameterOptional("wait", wait -> status(id, wait))),
                        delete(() -> forget(id)))),
                    path("results", () -> get(() -> parameterList("key", keys -> results(id, keys)))),
                    path("finished", () -> get(() -> parameterOptional("from", from ->
                        parameterOptional("wait", wait -> finished(id, from, wait))))),
                    pathPrefix("tasks", () -> pathPrefix(PathMatchers.segment(), key ->
                        path("explain", () -> get(() -> explain(id, key))))))))),
            path("workers", () -> get(this::workers))))),
        path("health", () -> get(() -> complete("ok")))));
  }

  // ------------------------------------------------------------------ submit

  /**
   * Takes a graph. With {@code ?wait=S} the answer also carries the graph's status once it finished
   * (or S passed): one request instead of a POST and a long poll, for the one-task round trip.
   */
  private Route submit(Optional<String> waitParam) {
    Duration wait = parseWait(waitParam);
    if (wait == null) {
      return badWait(waitParam);
    }
    long limit = settings.maxGraphBytes();
    // withSizeLimit replaces Pekko HTTP's default 8 MiB cap on request bodies with ours
    // a waiting POST may outlast Pekko HTTP's default request timeout (20 s), as a long poll does
    return withRequestTimeout(settings.askTimeout().plus(wait).plusSeconds(5), () ->
        withSizeLimit(limit, () -> extractRequestEntity(entity -> {
      // a small graph arrives whole with its headers: take it as it is, with no stream to run
      // (docs/latency.md: toStrict cost a hop even on a body that was already whole)
      CompletionStage<HttpEntity.Strict> body = entity instanceof HttpEntity.Strict whole
          && whole.getData().size() <= limit
          ? CompletableFuture.completedFuture(whole)
          // both limits: toStrict alone would stop at max-to-strict-bytes (8 MiB)
          : entity.toStrict(settings.askTimeout().toMillis(), limit, system);
      CompletionStage<Route> result = body
          .thenCompose(strict -> {
            // the body's own bytes, not a copy, so that a large graph is not held twice while it is
            // parsed: one piece is read as it is, a body of many pieces through a stream over them
            ByteString data = strict.getData();
            GraphValidator.Result checked = data.isCompact()
                ? validator.parseAndValidate(data.toArrayUnsafe())
                : validator.parseAndValidate(data.iterator().asInputStream());
            if (checked instanceof GraphValidator.Invalid bad) {
              return CompletableFuture.completedFuture(error(StatusCodes.get(bad.httpStatus()), bad.error()));
            }
            GraphValidator.Valid ok = (GraphValidator.Valid) checked;
            if (!codeAllowed && !ok.graph().codeOrEmpty().isEmpty()) {
              return CompletableFuture.completedFuture(error(StatusCodes.FORBIDDEN, CodeSettings.UPLOAD_OFF));
            }
            String id = newGraphId();
            return AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.SubmitReply>ask(
                    scheduler.get(), replyTo -> new SchedulerProtocol.SubmitGraph(id, ok.graph(), replyTo),
                    settings.askTimeout(), system.scheduler())
                .thenCompose(reply -> !reply.accepted()
                    ? CompletableFuture.completedFuture(reply.retryLater()
                        // the scheduler is full for now: tell the client when to try again
                        ? respondWithHeader(RetryAfter.create(RETRY_AFTER_SECONDS),
                            () -> error(StatusCodes.TOO_MANY_REQUESTS, reply.error()))
                        : error(StatusCodes.UNPROCESSABLE_ENTITY, reply.error()))
                    : wait.isZero()
                        ? CompletableFuture.completedFuture(created(new SubmitResponse(reply.graphId(), reply.tasks())))
                        : AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.StatusReply>ask(
                                scheduler.get(), replyTo -> new SchedulerProtocol.GetGraphStatus(reply.graphId(), wait, replyTo),
                                settings.askTimeout().plus(wait), system.scheduler())
                            .thenApply(st -> created(new SubmitResponse(reply.graphId(), reply.tasks(), st.status()))));
          })
          .exceptionally(e -> {
            Throwable cause = AsyncRoute.unwrap(e);
            if (isTooLarge(cause)) {
              return error(StatusCodes.PAYLOAD_TOO_LARGE,
                  "the graph is larger than the limit of " + limit + " bytes "
                      + "(tasklane.scheduler.api.max-graph-bytes, --max-graph-bytes); split it into several graphs");
            }
            return unavailable(cause);
          });
      return AsyncRoute.of(result);
    })));
  }

  private Route created(SubmitResponse response) {
    return complete(StatusCodes.CREATED, response, Jackson.marshaller(mapper));
  }

  /** The body went over the size limit (Pekko says so with two kinds of exception). */
  static boolean isTooLarge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EntityStreamSizeException
          || (c.getMessage() != null && c.getMessage().contains("Request too large"))) {
        return true;
      }
    }
    return false;
  }

  /** 128 random bits: no graph id can be guessed from another. */
  private static String newGraphId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ------------------------------------------------------------------ read

  private Route listGraphs() {
    return AsyncRoute.of(
        AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.GraphList>ask(
            scheduler.get(), SchedulerProtocol.ListGraphs::new, settings.askTimeout(), system.scheduler())
            .<Route>thenApply(list -> complete(StatusCodes.OK, list.graphs(), Jackson.marshaller(mapper)))
            .exceptionally(this::unavailable));
  }

  /** A {@code wait} parameter in seconds (absent: zero), or null if it is not a number from 0 to {@link #MAX_WAIT}. */
  private static Duration parseWait(Optional<String> waitParam) {
    try {
      Duration wait = waitParam.map(s -> Duration.ofMillis((long) (Double.parseDouble(s) * 1000))).orElse(Duration.ZERO);
      return wait.isNegative() || wait.compareTo(MAX_WAIT) > 0 ? null : wait;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Route badWait(Optional<String> waitParam) {
    return error(StatusCodes.BAD_REQUEST, "wait must be a number of seconds from 0 to " + MAX_WAIT.toSeconds()
        + ", got '" + waitParam.orElse("") + "'");
  }

  private Route status(String id, Optional<String> waitParam) {
    Duration wait = parseWait(waitParam);
    if (wait == null) {
      return badWait(waitParam);
    }
    Duration timeout = settings.askTimeout().plus(wait);
    final Duration maxWait = wait;
    // a long poll may outlast Pekko HTTP's default request timeout (20 s): give this request more
    return withRequestTimeout(timeout.plusSeconds(5), () -> AsyncRoute.of(
        AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.StatusReply>ask(
                scheduler.get(), replyTo -> new SchedulerProtocol.GetGraphStatus(id, maxWait, replyTo), timeout,
                system.scheduler())
            .thenApply(reply -> reply.status() == null
                ? notFound(id)
                : complete(StatusCodes.OK, reply.status(), Jackson.marshaller(mapper)))
            .exceptionally(this::unavailable)));
  }

  /**
   * The graph's wanted keys that finished, from the {@code from}-th on, in the order they did; with
   * {@code wait}, answers when there is at least one, the graph ends, or the wait passes.
   */
  private Route finished(String id, Optional<String> fromParam, Optional<String> waitParam) {
    int from;
    Duration wait;
    try {
      from = fromParam.map(Integer::parseInt).orElse(0);
      wait = waitParam.map(s -> Duration.ofMillis((long) (Double.parseDouble(s) * 1000))).orElse(Duration.ZERO);
    } catch (NumberFormatException e) {
      return error(StatusCodes.BAD_REQUEST, "from must be a whole number and wait a number of seconds");
    }
    if (from < 0 || wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
      return error(StatusCodes.BAD_REQUEST, "from must be 0 or more, and wait between 0 and " + MAX_WAIT.toSeconds()
          + " seconds");
    }
    Duration timeout = settings.askTimeout().plus(wait);
    final Duration maxWait = wait;
    final int start = from;
    return withRequestTimeout(timeout.plusSeconds(5), () -> AsyncRoute.of(
        AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.FinishedKeysReply>ask(
                scheduler.get(), replyTo -> new SchedulerProtocol.GetFinishedKeys(id, start, maxWait, replyTo), timeout,
                system.scheduler())
            .thenApply(reply -> reply.keys() == null
                ? notFound(id)
                : complete(StatusCodes.OK, reply.keys(), Jackson.marshaller(mapper)))
            .exceptionally(this::unavailable)));
  }

  /** One task's state and why; 404 with one line if the graph or the task is unknown. */
  private Route explain(String id, String key) {
    return AsyncRoute.of(
        AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.ExplainReply>ask(
                scheduler.get(), replyTo -> new SchedulerProtocol.ExplainTask(id, key, replyTo), settings.askTimeout(),
                system.scheduler())
            .thenApply(reply -> reply.explanation() == null
                ? error(StatusCodes.NOT_FOUND, reply.problem())
                : complete(StatusCodes.OK, reply.explanation(), Jackson.marshaller(mapper)))
            .exceptionally(this::unavailable));
  }

  private Route forget(String id) {
    return AsyncRoute.of(
        AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.ForgetReply>ask(
                scheduler.get(), replyTo -> new SchedulerProtocol.ForgetGraph(id, replyTo), settings.askTimeout(),
                system.scheduler())
            .thenApply(reply -> reply.found()
                ? complete(StatusCodes.OK, Map.of("id", id, "forgotten", true), Jackson.marshaller(mapper))
                : notFound(id))
            .exceptionally(this::unavailable));
  }

  /**
   * The most result bytes one answer carries (a twelfth of the heap; one result of any size, with
   * up to 1 MiB of others, is always sent): the answer is built in the scheduler's memory, base64
   * and all, about four times the results' size, and a graph's wanted results could otherwise fill
   * the heap.
   */
  static long resultsBudget(long maxHeapBytes) {
    return maxHeapBytes / 12;
  }

  /**
   * The wanted results ({@code keys}: only these, if any are given). Refused with 413 if they come
   * to more than {@link #resultsBudget}: the client then asks for fewer at a time.
   */
  private Route results(String id, List<String> keys) {
    CompletionStage<Route> result = AskPattern
        .<SchedulerProtocol.Command, SchedulerProtocol.ResultLocations>ask(
            scheduler.get(), replyTo -> new SchedulerProtocol.GetResultLocations(id, keys, replyTo), settings.askTimeout(),
            system.scheduler())
        .thenCompose(all -> {
          if ("unknown".equals(all.problem())) {
            return CompletableFuture.completedFuture(notFound(id));
          }
          boolean running = "running".equals(all.problem());
          if (all.problem() != null && !(running && !keys.isEmpty())) {
            return CompletableFuture.completedFuture(error(StatusCodes.CONFLICT,
                "graph " + id + " is still running; wait for it (GET /api/v1/graphs/" + id + "?wait=60), or ask "
                    + "for results that are ready by key (GET /api/v1/graphs/" + id + "/finished)"));
          }
          SchedulerProtocol.ResultLocations loc = all;
          if (!keys.isEmpty()) {
            Map<String, SchedulerProtocol.Location> some = new LinkedHashMap<>();
            Map<String, String> someErrors = new LinkedHashMap<>();
            for (String key : keys) {
              if (all.locations().containsKey(key)) {
                some.put(key, all.locations().get(key));
              } else if (all.errors().containsKey(key)) {
                someErrors.put(key, all.errors().get(key));
              } else if (running) {
                return CompletableFuture.completedFuture(error(StatusCodes.CONFLICT, "the result of "
                    + GraphValidator.show(key) + " in graph " + id + " is not ready (the graph is still running, "
                    + "or it is not a wanted key); GET /api/v1/graphs/" + id + "/finished lists those that are"));
              } else {
                return CompletableFuture.completedFuture(error(StatusCodes.NOT_FOUND, "graph " + id
                    + " has no wanted result " + GraphValidator.show(key) + " (only the keys in its \"want\" are kept)"));
              }
            }
            loc = new SchedulerProtocol.ResultLocations(null, some, someErrors);
          }
          long bytes = 0;
          long largest = 0;
          for (SchedulerProtocol.Location l : loc.locations().values()) {
            bytes += Math.max(0, l.nbytes());
            largest = Math.max(largest, l.nbytes());
          }
          long budget = resultsBudget(Runtime.getRuntime().maxMemory());
          if (bytes > Math.max(budget, largest + (1 << 20))) {
            return CompletableFuture.completedFuture(error(StatusCodes.PAYLOAD_TOO_LARGE, "the " + loc.locations().size()
                + " results asked for come to " + bytes + " bytes, more than the scheduler sends in one answer ("
                + budget + " bytes, a twelfth of its heap); ask for fewer at a time with ?key=KEY (repeat it for "
                + "several), or give the scheduler more heap"));
          }
          SchedulerProtocol.ResultLocations chosen = loc;
          return fetchResults(chosen).thenApply(values -> {
            Map<String, JsonNode> results = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>(chosen.errors());
            chosen.locations().forEach((key, l) -> {
              JsonNode v = values.get(l.taskId());
              if (v != null) {
                results.put(key, v);
              } else {
                errors.put(key, "its result could not be read from the worker that holds it (no answer in "
                    + settings.askTimeout().toSeconds() + " s); try again");
              }
            });
            return complete(StatusCodes.OK, new GraphResults(id, results, errors, traces(all, keys)),
                Jackson.marshaller(mapper));
          });
        })
        .exceptionally(this::unavailable);
    return AsyncRoute.of(result);
  }

  /** The graph's traces: all of them, or those of the keys asked for. */
  private static Map<String, String> traces(SchedulerProtocol.ResultLocations all, List<String> keys) {
    if (keys.isEmpty()) {
      return new java.util.TreeMap<>(all.traces());
    }
    Map<String, String> some = new LinkedHashMap<>();
    for (String key : keys) {
      if (all.traces().containsKey(key)) {
        some.put(key, all.traces().get(key));
      }
    }
    return some;
  }

  /**
   * Results per request, at most about this many bytes by their reported sizes (a larger one goes
   * alone): an answer is one Artery message, and one over the worker's
   * {@code maximum-large-frame-size} (40 MiB; the scheduler's own 4 MiB limits only what it sends)
   * would be dropped by the worker, so several big results held by one worker are read one by one.
   */
  static final long MAX_FETCH_BYTES = 8L << 20;
  /** Result ids per request, at most. */
  static final int MAX_FETCH_IDS = 1000;

  /**
   * The requests to make: per holder, its results in batches of at most {@link #MAX_FETCH_BYTES}
   * (by {@link SchedulerProtocol.Location#nbytes}; one of unknown size goes alone) and
   * {@link #MAX_FETCH_IDS}.
   */
  static List<Map.Entry<ActorRef<WorkerProtocol.DataCommand>, List<Long>>> fetchBatches(
      java.util.Collection<SchedulerProtocol.Location> locations) {
    Map<ActorRef<WorkerProtocol.DataCommand>, List<Long>> open = new LinkedHashMap<>();
    Map<ActorRef<WorkerProtocol.DataCommand>, Long> openBytes = new HashMap<>();
    List<Map.Entry<ActorRef<WorkerProtocol.DataCommand>, List<Long>>> out = new ArrayList<>();
    for (SchedulerProtocol.Location l : locations) {
      if (l.holders().isEmpty()) {
        continue;
      }
      ActorRef<WorkerProtocol.DataCommand> holder = l.holders().get(0);
      long size = l.nbytes() < 0 ? MAX_FETCH_BYTES : l.nbytes();
      List<Long> batch = open.get(holder);
      long bytes = openBytes.getOrDefault(holder, 0L);
      if (batch != null && (batch.size() >= MAX_FETCH_IDS || bytes + size > MAX_FETCH_BYTES)) {
        out.add(Map.entry(holder, batch));
        batch = null;
        bytes = 0;
      }
      if (batch == null) {
        batch = new ArrayList<>();
        open.put(holder, batch);
      }
      batch.add(l.taskId());
      openBytes.put(holder, bytes + size);
    }
    open.forEach((holder, batch) -> out.add(Map.entry(holder, batch)));
    return out;
  }

  /** Reads results straight from the workers that hold them, in requests of {@link #fetchBatches}. */
  private CompletionStage<Map<Long, JsonNode>> fetchResults(SchedulerProtocol.ResultLocations loc) {
    Map<Long, JsonNode> values = new java.util.concurrent.ConcurrentHashMap<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    fetchBatches(loc.locations().values()).forEach(batch -> all.add(AskPattern
        .<WorkerProtocol.DataCommand, WorkerProtocol.DataFetched>ask(
            batch.getKey(), replyTo -> new WorkerProtocol.FetchData(0, batch.getValue(), replyTo), settings.askTimeout(),
            system.scheduler())
        .thenAccept(fetched -> fetched.items().forEach(item -> values.put(item.taskId(), item.value())))
        .exceptionally(e -> null)
        .toCompletableFuture()));
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> values);
  }

  private Route workers() {
    CompletionStage<Route> result = AskPattern
        .<SchedulerProtocol.Command, SchedulerProtocol.WorkerList>ask(
            scheduler.get(), SchedulerProtocol.ListWorkers::new, settings.askTimeout(), system.scheduler())
        .thenCompose(list -> {
          List<CompletableFuture<WorkerView>> views = new ArrayList<>();
          for (SchedulerProtocol.WorkerEntry e : list.workers()) {
            views.add(AskPattern
                .<WorkerProtocol.Command, WorkerProtocol.WorkerStatus>ask(
                    e.worker(), WorkerProtocol.GetWorkerStatus::new, settings.askTimeout(), system.scheduler())
                .thenApply(s -> WorkerView.of(e, s))
                .exceptionally(t -> WorkerView.of(e, null))
                .toCompletableFuture());
          }
          return CompletableFuture.allOf(views.toArray(new CompletableFuture<?>[0]))
              .thenApply(v -> views.stream().map(CompletableFuture::join).toList());
        })
        .<Route>thenApply(views -> complete(StatusCodes.OK, views, Jackson.marshaller(mapper)))
        .exceptionally(this::unavailable);
    return AsyncRoute.of(result);
  }

  // ------------------------------------------------------------------ errors

  /**
   * Graphs live in the scheduler's memory only: one asked about after a scheduler restart is simply
   * unknown, so the answer says that this may be why, and when this scheduler started.
   */
  private Route notFound(String id) {
    String since = java.time.Instant.ofEpochMilli(system.startTime()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString();
    return error(StatusCodes.NOT_FOUND, "no graph " + id + " on this scheduler (running since " + since
        + "): it was never submitted here, was cancelled, was forgotten after its retention time, or was lost "
        + "when the scheduler restarted; submit it again");
  }

  private Route unavailable(Throwable e) {
    Throwable cause = AsyncRoute.unwrap(e);
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return error(StatusCodes.SERVICE_UNAVAILABLE, "the scheduler did not answer in " + settings.askTimeout().toSeconds()
          + " s; it may be starting or overloaded, try again");
    }
    system.log().warn("Client API request failed: {}", cause.toString());
    return error(StatusCodes.INTERNAL_SERVER_ERROR, "the request failed: " + cause.getMessage());
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new ApiError(message), Jackson.marshaller(mapper));
  }

  /** Pekko's standard rejections (404, 405, ...) with their text in our JSON error shape. */
  private RejectionHandler jsonRejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        return response;
      }
      String text = response.entity() instanceof HttpEntity.Strict s
          ? s.getData().utf8String() : response.status().reason();
      try {
        byte[] json = mapper.writeValueAsBytes(new ApiError(text));
        return (HttpResponse) response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json));
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        return response;
      }
    });
  }
}
