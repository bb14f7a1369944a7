// Answers every method with what it received: method, query, JSON body and the headers the tests look at.
async function echo(request: Request) {
  const url = new URL(request.url);
  const text = await request.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return Response.json({
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body,
    contentType: request.headers.get('content-type'),
    authorization: request.headers.get('authorization'),
    cookie: request.headers.get('cookie'),
  });
}

export async function GET(request: Request) {
  const url = new URL(request.url);
  url.searchParams.get('q');
  url.searchParams.get('page');
  return echo(request);
}

export async function POST(request: Request) {
  return echo(request);
}

export async function PUT(request: Request) {
  const { name, email } = await request.clone().json();
  void name;
  void email;
  return echo(request);
}

export async function PATCH(request: Request) {
  return echo(request);
}

export async function DELETE(request: Request) {
  return echo(request);
}
