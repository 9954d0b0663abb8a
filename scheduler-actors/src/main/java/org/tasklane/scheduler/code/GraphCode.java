package org.tasklane.scheduler.code;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.CodeProtocol;
import org.tasklane.protocol.GraphSpec;

/**
 * The scheduler's view of code shipping: which jars each graph it holds names (for its tasks'
 * assignments), the store that keeps those jars while the graph is held, and the code server that
 * workers fetch them from. Used by the scheduler actor only; does no file I/O.
 */
public final class GraphCode {
  private final CodeStore store;
  private final ActorRef<CodeProtocol.Command> server;
  private final Map<String, List<String>> codeByGraph = new HashMap<>();

  /**
   * @param store the jars (null: this scheduler holds none, and refuses every graph that names one)
   * @param server where workers fetch them (null: nowhere)
   */
  public GraphCode(CodeStore store, ActorRef<CodeProtocol.Command> server) {
    this.store = store;
    this.server = server;
  }

  /** No jars: graphs that name one are refused. */
  public static GraphCode none() {
    return new GraphCode(null, null);
  }

  /** The code server to tell workers about, or null. */
  public ActorRef<CodeProtocol.Command> server() {
    return server;
  }

  /** The line a graph that names a jar this scheduler does not hold is refused with. */
  public static String missingJar(String sha256) {
    return "graph needs jar " + sha256 + " which this scheduler does not hold; upload it first (PUT /api/v1/code/"
        + sha256 + ")";
  }

  /**
   * The graph holds its jars from now until {@link #forget}: null, or why it cannot (a jar it names
   * is not in the store), in which case nothing is held.
   */
  public String admit(String graphId, GraphSpec graph) {
    List<String> code = graph.codeOrEmpty();
    if (code.isEmpty()) {
      return null;
    }
    if (store == null) {
      return missingJar(code.get(0));
    }
    String missing = store.hold(graphId, code);
    if (missing != null) {
      return missingJar(missing);
    }
    codeByGraph.put(graphId, code);
    return null;
  }

  /** The jars a graph names (empty for none, or for a graph not held). */
  public List<String> codeOf(String graphId) {
    return codeByGraph.getOrDefault(graphId, List.of());
  }

  /** The graph is forgotten: it no longer holds its jars. */
  public void forget(String graphId) {
    if (codeByGraph.remove(graphId) != null) {
      store.release(graphId);
    }
  }
}
