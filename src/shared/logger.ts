import type { LoggerOptions } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * The server's logger settings: JSON lines for log collectors, or pino-pretty's readable lines
 * when a person watches (LOG_FORMAT=pretty, or `auto` with the output on a terminal). pino-pretty
 * runs as pino's transport, in a worker thread, so formatting never slows a request.
 */
export function loggerOptions(level: LogLevel, format: LogFormat, isTerminal: boolean): LoggerOptions | false {
  if (level === 'silent') return false;
  const isPretty = format === 'pretty' || (format === 'auto' && isTerminal);
  if (!isPretty) return { level };
  return {
    level,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true },
    },
  };
}

/**
 * A line logger for what the processes tell outside a request (a database outage): one line on
 * stderr with the time, at warning level, so LOG_LEVEL=error or silent keeps it quiet.
 */
export function warningLineLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): (line: string) => void {
  if (level === 'error' || level === 'fatal' || level === 'silent') return () => {};
  return (line) => write(`${new Date().toISOString()} WARN ${line}`);
}
