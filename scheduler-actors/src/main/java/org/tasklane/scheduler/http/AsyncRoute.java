package org.tasklane.scheduler.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.directives.RouteAdapter;
import org.apache.pekko.http.scaladsl.server.RequestContext;
import org.apache.pekko.http.scaladsl.server.RouteResult;
import scala.concurrent.Future;
import scala.concurrent.Future$;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;

/**
 * A route that an actor's answer decides: runs the route once the stage completes, on the request's
 * own dispatcher. Pekko HTTP's Java {@code onSuccess(stage, r -> r)} does the same but first passes
 * the answer through Scala's global execution context (its own pool) to unwrap a
 * {@code CompletionException}: one more thread woken per request, on the path of every client call
 * (docs/latency.md, "The ninth turn"). A failed stage fails the route with the cause, unwrapped, as
 * {@code onSuccess} does, for the route's exception handler.
 */
final class AsyncRoute {
  private AsyncRoute() {
  }

  static Route of(CompletionStage<Route> route) {
    scala.Function1<RequestContext, Future<RouteResult>> run = ctx -> FutureConverters.asScala(route)
        .transformWith((Try<Route> answer) -> answer.isSuccess()
            ? answer.get().asScala().apply(ctx)
            : Future$.MODULE$.<RouteResult>failed(unwrap(answer.failed().get())), ctx.executionContext());
    return RouteAdapter.asJava(run);
  }

  /** The cause inside a future's wrappers ({@code CompletionException}, {@code ExecutionException}). */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
