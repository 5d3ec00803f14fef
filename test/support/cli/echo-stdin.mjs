// A fake model CLI: reads the prompt on stdin and streams it back in three pieces.
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', async () => {
  for (const piece of ['echo: ', input.slice(0, 5), input.slice(5)]) {
    process.stdout.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});
