package ddl

// ExprKind tells what an Expr is.
type ExprKind int

const (
	ExprOther       ExprKind = iota // anything not modelled below; see Text
	ExprColumn                      // Names: the column reference; Star for t.*
	ExprConst                       // Value and Const
	ExprParam                       // $n
	ExprOp                          // Names: operator; Args: one (prefix) or two operands
	ExprOpAny                       // Args[0] op ANY (Args[1])
	ExprOpAll                       // Args[0] op ALL (Args[1])
	ExprAnd                         // Args
	ExprOr                          // Args
	ExprNot                         // Args[0]
	ExprFunc                        // Names: function; Args; Star for f(*)
	ExprCast                        // Args[0]::Type
	ExprIn                          // Args[0] [NOT] IN (Args[1:]...)
	ExprBetween                     // Args[0] [NOT] BETWEEN Args[1] AND Args[2]
	ExprNullTest                    // Args[0] IS [NOT] NULL
	ExprBoolTest                    // Args[0] IS [NOT] Names[0] (true, false, unknown)
	ExprDistinct                    // Args[0] IS [NOT] DISTINCT FROM Args[1]
	ExprNullIf                      // NULLIF(Args[0], Args[1])
	ExprArray                       // ARRAY[Args...]
	ExprRow                         // ROW(Args...)
	ExprCase                        // CASE ... END
	ExprCoalesce                    // COALESCE(Args...)
	ExprMinMax                      // GREATEST/LEAST (Names[0]) (Args...)
	ExprSQLValue                    // CURRENT_TIMESTAMP, CURRENT_USER... (Names[0], lower case)
	ExprCollate                     // Args[0] COLLATE Names
	ExprSubquery                    // Names[0]: exists, array, expr, any, all; Query
	ExprIndirection                 // Args[0] followed by fields or subscripts
)

// ConstKind tells what kind of literal an ExprConst is.
type ConstKind int

const (
	ConstInt ConstKind = iota + 1
	ConstFloat
	ConstString
	ConstBool
	ConstNull
	ConstBits
)

// Expr is an expression as written. Only the top-level expression of a
// default, check, generated column, index or view target carries Text, the
// expression as PostgreSQL would print it back.
type Expr struct {
	Kind  ExprKind
	Names []string
	Value string
	Const ConstKind
	Args  []*Expr
	Type  *TypeName
	Not   bool
	Star  bool
	Query *Query
	Text  string
	Pos   Pos
}

// Query is a SELECT as far as view columns need it.
type Query struct {
	Targets []*Target
	From    []*FromItem
	Where   *Expr
	Values  [][]*Expr // VALUES lists
	SetOp   string    // union, intersect, except; then Left and Right hold the arms
	Left    *Query
	Right   *Query
	With    []*CTE
}

// Target is one output column of a SELECT.
type Target struct {
	// Name is the alias or the name PostgreSQL figures for the column
	// (FigureColname); empty for stars.
	Name   string
	Expr   *Expr
	Star   bool
	StarOf []string // qualifier of rel.*; empty for a bare *
}

// FromItem is one entry of a FROM clause.
type FromItem struct {
	Rel         *QName
	Sub         *Query
	Func        *Expr        // a function in FROM
	FuncColumns []*ColumnDef // its column definition list, if any
	// FuncColumnsOnly says FuncColumns are all the columns (XMLTABLE,
	// JSON_TABLE), whatever the function returns.
	FuncColumnsOnly bool
	Ordinality      bool // WITH ORDINALITY adds a bigint column
	Join            *Join
	Alias           string
	ColumnAliases   []string
}

// Join is a JOIN in FROM.
type Join struct {
	Kind        string // inner, left, full, right, cross
	Left, Right *FromItem
	Using       []string
	Natural     bool
}

// CTE is one WITH query.
type CTE struct {
	Name    string
	Columns []string
	Query   *Query
}
