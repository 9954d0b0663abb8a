package org.tasklane.protocol;

import java.util.List;

/**
 * What a worker tells the scheduler about itself when it registers.
 *
 * @param name the worker's name, unique in the cluster (its address unless {@code --name} is given)
 * @param host the host other machines reach it on
 * @param address its cluster address, {@code host:port}
 * @param nthreads how many tasks it runs at once
 * @param functions the names of the task functions it can run
 * @param pid the operating-system process id
 */
public record WorkerInfo(String name, String host, String address, int nthreads, List<String> functions, long pid)
    implements CborSerializable {
  public WorkerInfo {
    functions = List.copyOf(functions);
  }
}
