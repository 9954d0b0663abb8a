package org.tasklane.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tasklane.protocol.api.GraphStatus;

/**
 * A submitted graph: its id on the scheduler, a future per wanted result, and the graph's final
 * status. Once every wanted result is read, the client tells the scheduler to forget the graph.
 */
public final class GraphRun {
  private final String id;
  private final Map<String, TaskFuture<?>> futures;
  private final CompletableFuture<GraphStatus> status;
  private final TasklaneClient api;

  GraphRun(String id, Map<String, TaskFuture<?>> futures, CompletableFuture<GraphStatus> status, TasklaneClient api) {
    this.id = id;
    this.futures = futures;
    this.status = status;
    this.api = api;
  }

  /** The graph's id on the scheduler (the dashboard and the API name it so). */
  public String id() {
    return id;
  }

  /** The future of a wanted result. */
  @SuppressWarnings("unchecked")
  public <T> TaskFuture<T> future(Ref<T> ref) {
    TaskFuture<?> f = futures.get(ref.key());
    if (f == null) {
      throw new IllegalArgumentException(ref + " is not among the results this run was asked for");
    }
    return (TaskFuture<T>) f;
  }

  /** The futures of every wanted result, in the order they were asked for. */
  public List<TaskFuture<?>> futures() {
    return List.copyOf(futures.values());
  }

  /** Completes with the graph's final status (counts per state and group, errors) when it is done. */
  public CompletableFuture<GraphStatus> status() {
    return status;
  }

  /** Cancels the graph on the scheduler; its pending futures fail. */
  public void cancel() {
    api.forget(id);
    TasklaneException cancelled = new TasklaneException(0, "graph " + id + " was cancelled");
    futures.values().forEach(f -> f.completeExceptionally(cancelled));
  }
}
