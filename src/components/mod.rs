pub mod dom_view;
pub mod nav;
pub mod screen_view;
