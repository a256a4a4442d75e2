import readline from 'node:readline';

/** Asks for a secret on the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let isAsking = true;
    output._writeToOutput = (text: string) => {
      if (!isAsking) process.stdout.write(text);
    };
    process.stdout.write(question);
    rl.question('', (answer) => {
      isAsking = false;
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
