package org.tasklane.worker.profile;

import java.util.HashMap;
import java.util.Map;
import org.tasklane.protocol.profile.CallTree;

/** A call tree as "outer;inner" -> total, for assertions. */
final class CallTreePaths {
  private CallTreePaths() {}

  static Map<String, Long> of(CallTree tree) {
    Map<String, Long> out = new HashMap<>();
    walk(tree.root(), "", out);
    return out;
  }

  private static void walk(CallTree.Node n, String prefix, Map<String, Long> out) {
    for (CallTree.Node c : n.children()) {
      String p = prefix.isEmpty() ? c.frame() : prefix + ";" + c.frame();
      out.put(p, c.total());
      walk(c, p, out);
    }
  }
}
