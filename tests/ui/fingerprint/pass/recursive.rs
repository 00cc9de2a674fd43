use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
enum Expr {
    Number(f64),
    Add(Box<Expr>, Box<Expr>),
    Call { name: String, args: Vec<Expr> },
}

#[derive(Fingerprint)]
struct Tree<T> {
    value: T,
    children: Vec<Tree<T>>,
}

fn main() {
    let e = Expr::Add(
        Box::new(Expr::Number(1.0)),
        Box::new(Expr::Call {
            name: "f".into(),
            args: vec![],
        }),
    );
    let _ = e.fingerprint();
    let t = Tree {
        value: 1_u8,
        children: vec![Tree {
            value: 2,
            children: vec![],
        }],
    };
    let _ = t.fingerprint();
}
