/** Real brokers in the JVM for tests and the benchmark. */
package org.livepeer.naap.testkit;
