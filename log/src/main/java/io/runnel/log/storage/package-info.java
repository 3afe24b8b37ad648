/**
 * The small file-system interface all of the log's file I/O goes through, and its real
 * implementation. Tests substitute a fault-injecting one.
 */
package io.runnel.log.storage;
